// History of submitted workflows: the persisted model, the workflow snapshot it keeps, and the
// results panel state derived from it. Pure; the extension stores it in workspaceState.
export * from './snapshot';
export * from './entry';
export * from './resultsView';
export * from './stepDetails';
export * from './costWording';
export * from './historyRows';
export * from './outputsView';
