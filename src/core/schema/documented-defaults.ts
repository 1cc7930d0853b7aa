// Members the contract lists as required that Civitai's recipes document a default for (their
// parameter tables), and that the recipes' CI-tested bodies omit: the service fills them in. The
// generator treats them like a contract `default`: never required in a request. Each entry names
// the contract definition whose `required` lists the member and the recipe that documents it;
// test/unit/documented-defaults.test.ts checks both against the contract and the docs.
export interface DocumentedDefault {
  /** Contract component (an allOf layer) whose `required` lists the member. */
  definition: string;
  property: string;
  /** The default as the recipe's parameter table states it. */
  documented: string;
  /** Recipe page under civitai-docs/orchestration/recipes/. */
  page: string;
}

export const DOCUMENTED_DEFAULTS: readonly DocumentedDefault[] = [
  { definition: 'Flux1SdCppImageGenInput', property: 'vaeModel', documented: '*(default)*', page: 'flux1.md' },
  { definition: 'Flux1SdCppImageGenInput', property: 'clipLModel', documented: '*(default)*', page: 'flux1.md' },
  { definition: 'Flux1SdCppImageGenInput', property: 't5XXLModel', documented: '*(default)*', page: 'flux1.md' },
  { definition: 'SeedanceVideoGenInput', property: 'aspectRatio', documented: '`"adaptive"`', page: 'seedance.md' },
  { definition: 'MiniMaxH3VideoGenInput', property: 'aspectRatio', documented: '`"adaptive"`', page: 'minimax-h3.md' },
  { definition: 'Krea2FalImageGenInput', property: 'imageStyleReferences', documented: '`[]`', page: 'krea.md' },
  { definition: 'QwenApiImageGenInput', property: 'width', documented: '*(model chooses)*', page: 'qwen.md' },
  { definition: 'QwenApiImageGenInput', property: 'height', documented: '*(model chooses)*', page: 'qwen.md' },
];
