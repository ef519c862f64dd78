// Node only (`@groupbuy/testing/nginx`): Debian's nginx configured by the very file docs/deploy.md ships
// (deploy/nginx/groupbuy-chat.conf), in a temp prefix over TLS with a throwaway self-signed pair, in front of
// the upstreams a test names: the SDK's shutdown test, and the server's reverse-proxy test (deploy.nginx.test.ts,
// which imports this file by path: @groupbuy/testing depends on the server). Nothing here imports the server.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's nginx binary, when installed (.ci/run installs it); undefined otherwise. */
export const NGINX_PATH = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/** The config the deploy docs ship. */
export const SHIPPED_NGINX_CONF = fileURLToPath(new URL('../../../deploy/nginx/groupbuy-chat.conf', import.meta.url));

/** What a test puts behind the proxy. */
export interface NginxOptions {
  /** `host:port` of each chat server (nginx round-robins over them). */
  upstreams: string[];
}

/** A running nginx. */
export interface RunningNginx {
  /** `https://127.0.0.1:PORT`, the TLS server block. */
  readonly base: string;
  /** The plain-HTTP port (it redirects to HTTPS). */
  readonly httpPort: number;
  /** The PEM certificate clients must trust. */
  readonly ca: string;
  /** Where nginx writes its access and error logs. */
  readonly logDir: string;
  /** Stops nginx and deletes its prefix; resolves when the process is gone. */
  stop(): Promise<void>;
}

/** A free TCP port on `host` (released at once; nginx binds it a moment later). */
function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => {
        res(port);
      });
    });
  });
}

/** True when this machine can bind the IPv6 loopback (CI containers may not). */
function hasIpv6Loopback(): Promise<boolean> {
  return freePort('::1').then(
    () => true,
    () => false,
  );
}

/**
 * The shipped config with only its machine-specific literals replaced (upstream, ports, certificate and log
 * paths); a literal that is no longer in the file throws, so the tests cannot drift from what the docs show.
 */
export function renderShippedConf(
  text: string,
  r: { upstreams: string[]; httpPort: number; httpsPort: number; certDir: string; logDir: string; ipv6: boolean },
): string {
  const swaps: [string, string][] = [
    ['server 127.0.0.1:8080;', r.upstreams.map((u) => `server ${u};`).join(' ')],
    ['listen 80;', `listen 127.0.0.1:${String(r.httpPort)};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${String(r.httpsPort)} ssl http2;`],
    ['listen [::]:80;', r.ipv6 ? `listen [::1]:${String(r.httpPort)};` : ''],
    ['listen [::]:443 ssl http2;', r.ipv6 ? `listen [::1]:${String(r.httpsPort)} ssl http2;` : ''],
    ['/etc/letsencrypt/live/chat.example.com/fullchain.pem', join(r.certDir, 'fullchain.pem')],
    ['/etc/letsencrypt/live/chat.example.com/privkey.pem', join(r.certDir, 'privkey.pem')],
    ['/var/log/nginx/', `${r.logDir}/`],
  ];
  let out = text;
  for (const [from, to] of swaps) {
    if (!out.includes(from)) {
      throw new Error(`deploy/nginx/groupbuy-chat.conf no longer contains "${from}": update renderShippedConf`);
    }
    out = out.split(from).join(to);
  }
  return out;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`; throws after `timeoutMs`. */
async function listening(port: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        res(true);
      });
      socket.once('error', () => {
        res(false);
      });
    });
    if (ok) return;
    if (Date.now() - started > timeoutMs) throw new Error(`nginx did not listen on ${String(port)} within ${String(timeoutMs)} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts nginx with the shipped config in front of `options.upstreams`: a temp prefix, a self-signed pair for
 * 127.0.0.1 made with the openssl CLI, and the main file Debian's /etc/nginx/nginx.conf would be — gzip on
 * (as Debian ships it, here for event streams too), so the SSE location's `gzip off` is what keeps events flowing.
 */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const nginxPath = NGINX_PATH;
  if (!nginxPath) throw new Error('nginx is not installed (.ci/run installs it with apt-get)');
  const dir = mkdtempSync(join(tmpdir(), 'groupbuy-nginx-'));
  const certDir = join(dir, 'certs');
  const logDir = join(dir, 'logs');
  for (const sub of [certDir, logDir, join(dir, 'temp')]) mkdirSync(sub);
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1']
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1'])
        .concat(['-keyout', join(certDir, 'privkey.pem'), '-out', join(certDir, 'fullchain.pem')]),
      { stdio: 'pipe' },
    );
  } catch (err) {
    throw new Error('the nginx harness makes its certificate with the openssl CLI (.ci/run installs it)', { cause: err });
  }
  const httpPort = await freePort();
  const httpsPort = await freePort();
  const conf = renderShippedConf(readFileSync(SHIPPED_NGINX_CONF, 'utf8'), {
    upstreams: options.upstreams,
    httpPort,
    httpsPort,
    certDir,
    logDir,
    ipv6: await hasIpv6Loopback(),
  });
  writeFileSync(join(dir, 'groupbuy-chat.conf'), conf);
  const temp = (name: string) => `${name}_temp_path ${join(dir, 'temp', name)};`;
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `error_log ${join(logDir, 'error.log')} notice;`,
      'events { worker_connections 256; }',
      'http {',
      `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
      '  gzip on; gzip_types text/event-stream application/json;',
      `  include ${join(dir, 'groupbuy-chat.conf')};`,
      '}',
    ].join('\n'),
  );
  const args = [
    '-p',
    `${dir}/`,
    '-e',
    join(logDir, 'error.log'),
    '-c',
    join(dir, 'nginx.conf'),
    '-g',
    `daemon off; pid ${join(dir, 'nginx.pid')};`,
  ];
  execFileSync(nginxPath, ['-t', ...args], { stdio: 'pipe' });
  const child = spawn(nginxPath, args, { stdio: 'ignore' });
  const exited = new Promise<void>((r) => {
    child.once('exit', () => {
      r();
    });
  });
  const kill = () => {
    child.kill('SIGTERM');
  };
  // A test runner that exits without afterAll must not leave nginx holding the ports.
  process.once('exit', kill);
  await listening(httpsPort, 10_000);
  return {
    base: `https://127.0.0.1:${String(httpsPort)}`,
    httpPort,
    ca: readFileSync(join(certDir, 'fullchain.pem'), 'utf8'),
    logDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) kill();
      await exited;
      process.off('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
