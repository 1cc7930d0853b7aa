export * from './values';
export * from './spec';
export * from './dynamic-prompts';
export * from './expand';
export * from './cost';
export * from './wildcards';
export * from './keys';
export * from './grid';
