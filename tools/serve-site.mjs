// Starts tools/serve.py on a free port, for the programs that need the site served as
// `make serve` serves it: the browser tests, the in-page benchmark and serve.py's own tests.
//
//   const { url, stop } = await serveSite(root);   // url: "http://127.0.0.1:<port>/"
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serveScript = fileURLToPath(new URL('./serve.py', import.meta.url));

export async function serveSite(root, { startWithinMs = 10_000 } = {}) {
  // --port 0: the OS picks a free port, and the server prints the one it got.
  const server = spawn('/usr/bin/python3', [serveScript, '--root', root, '--port', '0'], {
    env: { ...process.env, ACM_SERVE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the site server did not start within ${startWithinMs / 1000} s`)), startWithinMs);
    server.stdout.on('data', (chunk) => {
      text += chunk;
      const m = /http:\/\/[\d.]+:\d+\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the site server exited (${code}) before it was ready`));
    });
  });
  const stop = () => { if (server.exitCode === null) server.kill('SIGTERM'); };
  return { url, stop };
}
