// `civitai-workflow tokens [--format text|json] TEXT|-`: the exact CLIP token count of a prompt,
// counted as AUTOMATIC1111 counts it (src/core/prompt/clip-tokens.ts), and its 75-token chunks.
// For plain text without prompt syntax `tokens` is CLIP's raw BPE count.
import { countClipTokens } from '../../core/prompt/clip-tokens';
import { parseArgs, UsageError, type CliCommand, type CliIO } from '../command';

const HELP = `Usage: civitai-workflow tokens [--format text|json] TEXT|-

Counts the CLIP tokens of a prompt as AUTOMATIC1111 does for SD1 and SDXL:
<lora:…> tags and attention syntax ((tag:1.2), [tag], \\( \\)) are removed,
the text is tokenized with CLIP's BPE, and laid into chunks of 75 tokens
(77 with the start and end markers); a full chunk breaks after its last comma
when that comma is among its final 20 tokens, and BREAK starts a new chunk.
"-" reads the prompt from stdin.

--format json prints {"tokens": N, "chunks": [{"tokens": n, "text": "…"}],
"a1111": M}: "tokens" counts the text's tokens (for plain text, CLIP's raw
count); "a1111" is what AUTOMATIC1111's counter shows (75 for every chunk but
the last).

Exit codes: 0 counted, 1 stdin unreadable, 2 usage error.
`;

/** Prompts longer than this are refused (the service takes at most 10 000 characters). */
export const MAX_PROMPT_CHARS = 1_000_000;

export type TokensIO = CliIO & { readStdin?: () => Promise<string> };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_PROMPT_CHARS * 4) throw new Error(`stdin holds more than ${MAX_PROMPT_CHARS} characters`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tokens: CliCommand = {
  summary: 'count a prompt\'s CLIP tokens and 75-token chunks as AUTOMATIC1111 does',
  async run(args: readonly string[], io: TokensIO): Promise<number> {
    let format: 'text' | 'json';
    let source: string;
    try {
      const parsed = parseArgs(args, { valued: ['format'], flags: ['help', 'h'] });
      if (parsed.options.has('help') || parsed.options.has('h')) {
        io.stdout(HELP);
        return 0;
      }
      const f = String(parsed.options.get('format') ?? 'text');
      if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format '${f}' (use text or json)`);
      format = f;
      if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'give the prompt (or - to read stdin)' : 'give the prompt as one argument (quote it)');
      source = parsed.positionals[0];
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`tokens: ${error.message}\n\n${HELP}`);
      return 2;
    }
    let text: string;
    try {
      text = source === '-' ? await (io.readStdin ?? readStdin)() : source;
    } catch (error) {
      io.stderr(`tokens: cannot read stdin: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    if (source === '-') text = text.replace(/\r?\n$/, '');
    if (text.length > MAX_PROMPT_CHARS) {
      io.stderr(`tokens: the prompt has ${text.length} characters; at most ${MAX_PROMPT_CHARS} are counted\n`);
      return 2;
    }
    const count = countClipTokens(text);
    const chunks = count.chunks.map((c) => ({ tokens: c.tokens, text: text.slice(c.start, c.end) }));
    if (format === 'json') {
      io.stdout(JSON.stringify({ tokens: count.tokens, chunks, a1111: count.a1111Count }) + '\n');
      return 0;
    }
    const lines = [`${count.tokens} tokens in ${chunks.length} chunk${chunks.length === 1 ? '' : 's'} of 75 (AUTOMATIC1111 shows ${count.a1111Count})`];
    chunks.forEach((c, i) => lines.push(`  chunk ${i + 1}: ${String(c.tokens).padStart(2)}/75  ${c.text}`));
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};

export default tokens;
