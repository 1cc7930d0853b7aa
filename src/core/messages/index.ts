// Typed messages between webviews and the extension (zod schemas shared by both sides).
export * from './results';
export * from './outputs';
