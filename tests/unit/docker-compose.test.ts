// There is no Docker engine here, so the production shape is checked as configuration.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const compose = Bun.YAML.parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<
    string,
    { command?: string[]; environment?: Record<string, string>; ports?: string[]; container_name?: string; build?: string }
  >;
};

describe('docker-compose.yml', () => {
  it('runs Redis with AOF every second and noeviction, as BullMQ needs', () => {
    const command = compose.services.redis?.command?.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('has an API and a worker that start the real entry points', () => {
    expect(compose.services.api?.command).toEqual(['bun', 'apps/api/src/main.ts']);
    expect(compose.services.worker?.command).toEqual(['bun', 'apps/worker/src/main.ts']);
    for (const file of ['apps/api/src/main.ts', 'apps/worker/src/main.ts']) expect(() => readFileSync(join(root, file))).not.toThrow();
  });

  it('lets the worker scale with --scale worker=N (no fixed name, no host port)', () => {
    const worker = compose.services.worker!;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it('gives the API and every worker the same artifact store: one shared volume', () => {
    const services = compose.services as Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
    expect(services.api?.environment?.ARTIFACT_STORE).toBe(services.worker?.environment?.ARTIFACT_STORE);
    expect(services.api?.volumes).toEqual(services.worker?.volumes);
    expect(services.api?.volumes?.[0]).toMatch(/^artifacts:/);
  });

  it('gives the API and every worker the same webhook: workers report the ends the API delivers', () => {
    for (const name of ['WEBHOOK_URL', 'WEBHOOK_SECRET', 'WEBHOOK_FORMAT']) {
      expect(compose.services.worker?.environment?.[name], name).toBe(compose.services.api?.environment?.[name]);
    }
  });

  it('points every app at the compose Redis', () => {
    expect(compose.services.api?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(compose.services.worker?.environment?.REDIS_URL).toBe('redis://redis:6379');
  });
});

describe('Dockerfile', () => {
  it("copies every workspace's package.json before `bun install --frozen-lockfile`", () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('bun install --frozen-lockfile'));
    const workspaces = ['apps', 'packages'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((name) => existsSync(join(root, dir, name, 'package.json')))
        .map((name) => `${dir}/${name}`),
    );
    expect(workspaces.length).toBeGreaterThanOrEqual(6);
    for (const workspace of workspaces) expect(beforeInstall).toContain(`COPY ${workspace}/package.json ${workspace}/`);
  });
});
