// A minimal LSP client for the unit tests: Content-Length framing over a server's stdin/stdout.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export class LspTestClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  readonly notifications: Message[] = [];
  private waiters: Array<() => void> = [];

  /** `onNotification` sees each notification as it arrives (they are also kept in `notifications`). */
  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly onNotification?: (message: Message) => void,
  ) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const headerEnd = this.buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (this.buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as Message;
        this.buffer = this.buffer.subarray(headerEnd + 4 + length);
        if (message.id !== undefined && message.method === undefined) this.pending.get(message.id)?.(message);
        else if (message.method !== undefined && message.id === undefined) {
          this.notifications.push(message);
          this.onNotification?.(message);
        }
        else if (message.method !== undefined) this.send({ id: message.id, result: null }); // server → client requests
        for (const w of this.waiters.splice(0)) w();
      }
    });
  }

  send(message: Message | Message[]): void {
    // Several messages in one write arrive together, as a fast typist's edits do.
    const frames = (Array.isArray(message) ? message : [message]).map((m) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    this.child.stdin.write(Buffer.concat(frames));
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 20_000);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        if (m.error) reject(new Error(JSON.stringify(m.error)));
        else resolve(m.result as T);
      });
      this.send({ id, method, params });
    });
  }

  async notification(method: string, match: (params: any) => boolean): Promise<any> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = this.notifications.find((n) => n.method === method && match(n.params));
      if (found) return found.params;
      if (Date.now() > deadline) throw new Error(`no ${method}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

