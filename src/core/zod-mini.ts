// zod/mini with English issue messages, for every extension-reachable module. Classic zod is not
// tree-shakeable (it put ~420 KB into the extension bundle); zod/mini keeps what is used (~25 KB).
// zod/mini ships no locale, so without `config(en())` every issue would read "Invalid input":
// settings problems, dropped history entries and API shape errors show these messages to users.
// Import as `import * as z from '../zod-mini'` (the webview's message schemas use 'zod/mini' itself).
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
