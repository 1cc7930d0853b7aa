// What the "Set API Token" box accepts. Pure (no vscode import), unit-tested directly.

/** Light sanity check for a pasted token: no spaces, not a URL, not absurdly short. */
export function validateTokenInput(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0) return 'Paste the token from your Civitai account settings.';
  if (/\s/.test(v)) return 'A token has no spaces. Paste only the token.';
  if (/^bearer\b/i.test(v)) return 'Paste the token without the "Bearer " prefix.';
  if (/^https?:\/\//i.test(v)) return 'That looks like a URL, not a token.';
  if (v.length < 8) return 'That is too short to be an API token.';
  return undefined;
}
