// Turns client errors into what a person can act on: a sentence that says what happened and what
// to do, plus the buttons that do it. Built from the error's kind and the service's own words;
// the token is never part of either. Pure (no vscode import), unit-tested directly.
import { isApiError, type ApiError } from '../../core/api/errors';

export interface Explanation {
  message: string;
  /** Button label → command id (with optional arguments). */
  actions: Array<{ title: string; command: string; args?: unknown[] }>;
}

const SET_TOKEN = { title: 'Set API Token', command: 'civitai.setApiToken' };
const USE_EMULATOR = { title: 'Use Local Emulator', command: 'civitai.useLocalEmulator' };
const OPEN_SETTINGS = { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['civitai.baseUrl'] };
const SHOW_PROBLEMS = { title: 'Show Problems', command: 'workbench.actions.view.problems' };

/** `doing` is a short phrase like "Submitting cat.civitai.json". */
export function explainError(doing: string, error: unknown, service: { emulator: boolean }): Explanation {
  if (!isApiError(error)) return { message: `${doing} failed: ${describe(error)}`, actions: [] };
  const e: ApiError = error;
  const said = serverWords(e);
  switch (e.kind) {
    case 'validation':
      return {
        message: `${doing}: the service refused the workflow${said}. The fields it named are marked in the file.`,
        actions: [SHOW_PROBLEMS],
      };
    case 'auth':
      return {
        message: service.emulator
          ? `${doing}: the local emulator did not accept the session token (401). Run "Use Local Emulator" again.`
          : `${doing}: the service did not accept the API token (401: missing, expired or wrong). Set a valid token from your Civitai account settings.`,
        actions: service.emulator ? [USE_EMULATOR] : [SET_TOKEN],
      };
    case 'forbidden':
      return {
        message: `${doing}: the token is valid but not allowed to do this (403)${said}. It may need a different tier, access to this resource, or mature content allowed on your account. Retrying as-is won't help.`,
        actions: [],
      };
    case 'rate-limited':
      return {
        message: `${doing}: too many requests (429). The extension already waited and retried${e.attempts ? ` ${e.attempts} times` : ''}; wait a minute, then try again.`,
        actions: [],
      };
    case 'server':
      return {
        message: `${doing}: the orchestration service had a problem (${e.status ?? '5xx'}) and did not recover after ${e.attempts ?? 'several'} attempts. Try again in a few minutes; a resubmission carries the same idempotency key, so it will not run twice.`,
        actions: [],
      };
    case 'network':
      return {
        message: `${doing}: could not reach ${service.emulator ? 'the local emulator' : 'the orchestration service'}. Check your connection and the civitai.baseUrl setting.`,
        actions: service.emulator ? [USE_EMULATOR] : [OPEN_SETTINGS, USE_EMULATOR],
      };
    case 'timeout':
      return { message: `${doing}: the service did not answer in time. ${e.hint}`, actions: [] };
    case 'not-found':
      return { message: `${doing}: not found (404)${said}. ${e.hint}`, actions: [] };
    case 'aborted':
      return { message: `${doing}: cancelled.`, actions: [] };
    default:
      return { message: `${doing}: ${e.message}. ${e.hint}`, actions: [] };
  }
}

function serverWords(e: ApiError): string {
  const bits = [e.problem?.title, e.problem?.detail].filter((s): s is string => Boolean(s));
  return bits.length ? ` ("${bits.join(' — ').slice(0, 300)}")` : '';
}

/** An error's message, or the value as text. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
