// AIRs resolved with the service: where a file names them, what the service says about each,
// what that means before paying, and the hover text.
export { airReferences, airReferenceAt, distinctAirs, MAX_AIR_REFERENCES, type AirReference } from './refs';
export { ResourceResolver, ResourceResolvers, type FetchResource, type ResourceLookup, type ResourceResolverOptions } from './resolver';
export { BLOCKING_RESOURCE_CODES, NOT_FOUND_MESSAGE, RESOURCE_CODES, judgeResource, resolutionOffReason, resourceFindings, resourceLabel } from './findings';
export { resourceHoverMarkdown } from './hover';
export { resolveBeforeSubmit, type ResolveOutcome } from './gate';
