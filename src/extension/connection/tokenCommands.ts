// Civitai: Set API Token / Clear API Token. The token goes into SecretStorage and nowhere else.
import * as vscode from 'vscode';
import type { CivitaiContext } from '../context';
import { validateTokenInput } from './tokenInput';

/**
 * Prompts with a password box. A string argument (automation, tests) is stored without a prompt,
 * after the same validation.
 */
export function setApiToken(ctx: CivitaiContext) {
  return async (value?: unknown): Promise<boolean> => {
    let token = typeof value === 'string' ? value : undefined;
    if (token === undefined) {
      token = await vscode.window.showInputBox({
        title: 'Civitai API token',
        prompt: 'Paste your API token from civitai.com (account settings → API keys). It is kept in VS Code\'s secret storage only.',
        password: true,
        ignoreFocusOut: true,
        placeHolder: 'API token',
        validateInput: validateTokenInput,
      });
    } else if (validateTokenInput(token)) {
      void vscode.window.showErrorMessage(`Civitai: the token was not stored: ${validateTokenInput(token)}`);
      return false;
    }
    if (token === undefined) return false;
    await ctx.tokens.set(token);
    ctx.log.info('API token stored in secret storage');
    void vscode.window.showInformationMessage('Civitai: API token saved in VS Code\'s secret storage.');
    return true;
  };
}

export function clearApiToken(ctx: CivitaiContext) {
  return async (): Promise<void> => {
    await ctx.tokens.clear();
    ctx.log.info('API token removed from secret storage');
    void vscode.window.showInformationMessage('Civitai: API token removed.');
  };
}
