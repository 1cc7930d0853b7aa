// Workflow templates: the catalog the "New Workflow…" picker shows and the builders behind it.
export * from './catalog';
export * from './build';
