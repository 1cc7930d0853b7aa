// Types for scripts/lazy-modules.mjs (the bench builds with the same plugin as scripts/build.mjs).
import type { Plugin } from 'esbuild';

export interface LazyModule {
  /** The module replaced by a stub, relative to the project folder. */
  source: string;
  /** The separate bundle's file name in dist/. */
  bundle: string;
  /** Functions the stub forwards. */
  exports?: string[];
  /** Other exports, read through getters. */
  values?: string[];
}

export const LAZY_MODULES: readonly LazyModule[];
export function lazyModulesPlugin(root?: string, modules?: readonly LazyModule[]): Plugin;
