// Lint results per open document. A result holds for one version of the text AND the user's model
// profiles it was computed with (rules read them: cfg/steps ranges, quality-tag position, embedding
// names), so a changed `civitai.modelProfiles` setting misses the cache even at the same version.
import { getActiveUserProfiles, type ModelProfile } from './ecosystems/profiles';

export class LintResultCache<R> {
  private readonly entries = new Map<string, { version: number; profiles: readonly ModelProfile[]; result: R }>();

  /** `profiles` reads the profiles in force now (the process-wide ones by default). */
  constructor(private readonly profiles: () => readonly ModelProfile[] = getActiveUserProfiles) {}

  /** The result for this version under the current profiles, if there is one. */
  get(key: string, version: number): R | undefined {
    const hit = this.entries.get(key);
    // Profiles are replaced as a whole when the setting changes, so identity tells a change.
    return hit && hit.version === version && hit.profiles === this.profiles() ? hit.result : undefined;
  }

  set(key: string, version: number, result: R): void {
    this.entries.set(key, { version, profiles: this.profiles(), result });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
