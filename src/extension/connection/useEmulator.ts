// Civitai: Use Local Emulator — starts the in-process emulator and talks to it for this session.
import * as vscode from 'vscode';
import type { CivitaiContext } from '../context';
import { describe } from '../common/log';

export function useLocalEmulator(ctx: CivitaiContext) {
  return async (): Promise<string | undefined> => {
    try {
      const target = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Starting the local Civitai emulator…' },
        () => ctx.service.useEmulator(),
      );
      void vscode.window.showInformationMessage(
        `Civitai: using the local emulator at ${target.baseUrl} for this session. Nothing is charged; images are generated locally.`,
      );
      return target.baseUrl;
    } catch (error) {
      ctx.log.error('could not start the local emulator', error);
      void vscode.window.showErrorMessage(`Civitai: could not start the local emulator: ${describe(error)}`);
      return undefined;
    }
  };
}
