// There is no Docker engine here, so the production shape is checked as configuration.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const compose = Bun.YAML.parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      ports?: string[];
      container_name?: string;
      build?: string;
      profiles?: string[];
      depends_on?: Record<string, { condition: string }>;
    }
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

describe('docker-compose.yml --profile cluster', () => {
  const services = Object.entries(compose.services);
  const inCluster = services.filter(([, service]) => service.profiles?.includes('cluster'));

  it('leaves `docker compose up` as it was: one Redis, one API, the workers', () => {
    const always = services.filter(([, service]) => !service.profiles).map(([name]) => name);
    expect(always.sort()).toEqual(['api', 'redis', 'worker']);
  });

  it('starts 6 cluster nodes with AOF every second and noeviction, joined as 3 masters with a replica each', () => {
    const nodes = inCluster.filter(([, service]) => service.command?.includes('--cluster-enabled'));
    expect(nodes.map(([name]) => name)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `redis-node-${n}`));
    for (const [, node] of nodes) {
      const command = node.command!.join(' ');
      expect(command).toMatch(/--cluster-enabled yes/);
      expect(command).toMatch(/--appendonly yes --appendfsync everysec/);
      expect(command).toMatch(/--maxmemory-policy noeviction/);
      expect(command).toMatch(/--cluster-require-full-coverage no/);
    }
    const init = compose.services['redis-cluster-init']!;
    expect(init.command?.join(' ')).toMatch(/--cluster create --cluster-replicas 1 --cluster-yes/);
    expect(Object.keys(init.depends_on ?? {})).toEqual(nodes.map(([name]) => name));
  });

  it('points its API and workers at the cluster, with a hash-tagged queue prefix, once the cluster is made', () => {
    for (const name of ['api-cluster', 'worker-cluster']) {
      const service = compose.services[name]!;
      expect(service.profiles).toEqual(['cluster']);
      expect(service.environment?.QUEUE_PREFIX).toBe('{hw}');
      expect(service.environment?.REDIS_URL).toBeUndefined();
      for (const node of service.environment!.REDIS_CLUSTER_NODES!.split(',')) {
        expect(compose.services[node.split(':')[0]!]?.profiles, node).toEqual(['cluster']);
      }
      expect(service.depends_on).toEqual({ 'redis-cluster-init': { condition: 'service_completed_successfully' } });
    }
    expect(compose.services['api-cluster']?.command).toEqual(compose.services.api?.command);
    expect(compose.services['worker-cluster']?.command).toEqual(compose.services.worker?.command);
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
