import { describe, expect, it } from 'vitest';
import type { NewJobEvent } from '../model/events.ts';
import { commandPipeline } from '../pipelines/pipeline-definition.ts';
import { CommandProtocol, parseProtocolLine } from './command-protocol.ts';
import { ProgressTracker } from './progress-tracker.ts';

const pipeline = commandPipeline({
  name: 'demo',
  command: ['demo'],
  stages: [
    { name: 'fetch', weight: 1 },
    { name: 'analyse', weight: 1, loops: true, expectedIterations: 2 },
  ],
});

function session() {
  const events: NewJobEvent[] = [];
  const tracker = new ProgressTracker({ jobId: '1', attempt: 1, stages: pipeline.spec.stages, emit: (e) => events.push(e) });
  const protocol = new CommandProtocol(tracker, pipeline.spec.stages, 'pipeline "demo" in headway.config.ts');
  const shown = () =>
    events.map((e) =>
      e.kind === 'progress'
        ? `${e.stage}:${e.phase}`
        : e.kind === 'log'
          ? `${e.level}:${e.message}`
          : e.kind === 'status'
            ? e.status
            : e.name,
    );
  return { events, protocol, shown };
}

describe('parseProtocolLine', () => {
  it('reads the three commands and leaves every other line as text', () => {
    expect(parseProtocolLine('::stage fetch Fetching 3 papers')).toEqual({ kind: 'stage', stage: 'fetch', message: 'Fetching 3 papers' });
    expect(parseProtocolLine('::progress {"stageProgress":0.5,"iteration":2}')).toEqual({
      kind: 'progress',
      update: { stageProgress: 0.5, iteration: 2 },
    });
    expect(parseProtocolLine('::log warning disk almost full')).toEqual({ kind: 'log', level: 'warn', message: 'disk almost full' });
    expect(parseProtocolLine('[judge] 3 claims')).toEqual({ kind: 'text', message: '[judge] 3 claims' });
    expect(parseProtocolLine('std::vector<int> is fine')).toEqual({ kind: 'text', message: 'std::vector<int> is fine' });
  });

  it('names what is wrong with a malformed line', () => {
    const problem = (line: string) => {
      const parsed = parseProtocolLine(line);
      return parsed.kind === 'invalid' ? parsed.problem : `not invalid: ${parsed.kind}`;
    };
    expect(problem('::progress {"stageProgress": 0.5')).toMatch(/needs one JSON object/);
    expect(problem('::progress [1]')).toMatch(/`::progress`/);
    expect(problem('::progress {"stageProgress": 2}')).toMatch(/\/stageProgress/);
    expect(problem('::progress {"stage": "fetch", "percent": 3}')).toMatch(/percent|additional/i);
    expect(problem('::progress {"phase": "done"}')).toMatch(/\/phase/);
    expect(problem(`::progress {"metadata":{"blob":"${'x'.repeat(5000)}"}}`)).toMatch(
      /metadata of 5011 characters is over the 4096-character limit/,
    );
    expect(problem('::log loud hi')).toMatch(/level "loud"/);
    expect(problem('::stage')).toMatch(/needs a stage name/);
    expect(problem('::deploy now')).toBe('unknown command `::deploy` (known: ::stage, ::progress, ::log, ::artifact)');
  });
});

describe('CommandProtocol', () => {
  it('opens one stage at a time: a new stage and a clean exit complete the open one', () => {
    const { protocol, shown, events } = session();
    protocol.stdout('::stage fetch');
    protocol.stdout('::progress {"stageProgress":0.5,"message":"half"}');
    protocol.stdout('fetched 3 papers');
    protocol.stderr('slow mirror');
    protocol.stdout('::stage analyse');
    protocol.stdout('::progress {"iteration":1,"stageProgress":1}');
    protocol.stdout('::progress {"iteration":2,"stageProgress":0.5}');
    protocol.finish();
    expect(shown()).toEqual([
      'fetch:starting',
      'fetch:running',
      'info:fetched 3 papers',
      'warn:slow mirror',
      'fetch:complete',
      'analyse:starting',
      'analyse:running',
      'analyse:running',
      'analyse:complete',
    ]);
    const logs = events.filter((e) => e.kind === 'log');
    expect(logs.map((e) => e.kind === 'log' && e.stage)).toEqual(['fetch', 'fetch']);
    const last = events.at(-1)!;
    expect(last.kind === 'progress' && last.percentage).toBe(100);
    const iterations = events.flatMap((e) => (e.kind === 'progress' && e.iteration ? [e.iteration] : []));
    expect(iterations).toEqual([1, 2, 2]);
  });

  it('takes the seed’s explicit phases as they come', () => {
    const { protocol, shown } = session();
    protocol.stdout('::progress {"stage":"fetch","phase":"starting","message":"Loading"}');
    protocol.stdout('::progress {"stage":"fetch","phase":"complete","message":"Loaded"}');
    protocol.stdout('::progress {"stage":"analyse","phase":"starting"}');
    protocol.finish('demo exited with code 2');
    expect(shown()).toEqual(['fetch:starting', 'fetch:complete', 'analyse:starting', 'analyse:error']);
  });

  it('with bracketStages, reads the seed’s `[stage] message` prints of declared stages as that stage running', () => {
    const events: NewJobEvent[] = [];
    const tracker = new ProgressTracker({ jobId: '1', attempt: 1, stages: pipeline.spec.stages, emit: (e) => events.push(e) });
    const protocol = new CommandProtocol(tracker, pipeline.spec.stages, 'here', { bracketStages: true });
    for (const line of ['[fetch] Loading definitions...', '[fetch] Loaded 5 pillars', '[note] not a stage', '[analyse] Iteration 1']) {
      protocol.stdout(line);
    }
    protocol.finish();
    const shown = events.map((e) =>
      e.kind === 'progress' ? `${e.stage}:${e.phase}:${e.message}` : e.kind === 'log' ? `log:${e.message}` : '',
    );
    expect(shown).toEqual([
      'fetch:starting:Loading definitions...',
      'fetch:running:Loaded 5 pillars',
      'log:[note] not a stage',
      'fetch:complete:Fetch: done',
      'analyse:starting:Iteration 1',
      'analyse:complete:Analyse: done',
    ]);
    const { shown: plain, protocol: without } = session();
    without.stdout('[fetch] Loading definitions...');
    expect(plain()).toEqual(['info:[fetch] Loading definitions...']);
  });

  it('turns a line it cannot apply into a warning naming the config and the stages, and goes on', () => {
    const { protocol, shown } = session();
    protocol.stdout('::progress {"stageProgress":0.1}');
    protocol.stdout('::stage nope');
    protocol.stdout('::progress {"stage":"nope"}');
    protocol.stdout('::stage fetch');
    expect(shown()).toEqual([
      'warn:`::progress` names no stage and none is open; start one with `::stage <name>`',
      'warn:`::stage`: pipeline "demo" in headway.config.ts declares no stage "nope" (its stages: fetch, analyse); line ignored',
      'warn:`::progress`: pipeline "demo" in headway.config.ts declares no stage "nope" (its stages: fetch, analyse); line ignored',
      'fetch:starting',
    ]);
  });
});

describe('the ::artifact line', () => {
  it('reads a path and an optional title; a path with spaces as a JSON string', () => {
    expect(parseProtocolLine('::artifact out/chart.svg')).toEqual({ kind: 'artifact', path: 'out/chart.svg' });
    expect(parseProtocolLine('::artifact  /data/jobs/7/report.md   The report ')).toEqual({
      kind: 'artifact',
      path: '/data/jobs/7/report.md',
      title: 'The report',
    });
    expect(parseProtocolLine('::artifact "my chart.svg" Chart "one"')).toEqual({
      kind: 'artifact',
      path: 'my chart.svg',
      title: 'Chart "one"',
    });
    expect(parseProtocolLine('::artifact "bell\\u0007.txt"')).toEqual({ kind: 'artifact', path: 'bell\u0007.txt' });
    const invalid = (line: string) => {
      const parsed = parseProtocolLine(line);
      return parsed.kind === 'invalid' ? parsed.problem : `not invalid: ${parsed.kind}`;
    };
    expect(invalid('::artifact')).toBe('`::artifact` needs a file path');
    expect(invalid('::artifact   ')).toBe('`::artifact` needs a file path');
    expect(invalid('::artifact "\\x"')).toMatch(/^`::artifact` path is not a valid JSON string: /);
  });

  it('hands the path and title to the worker, and warns when nothing can publish', () => {
    const published: [string, string | undefined][] = [];
    const events: NewJobEvent[] = [];
    const tracker = new ProgressTracker({ jobId: '1', attempt: 1, stages: pipeline.spec.stages, emit: (e) => events.push(e) });
    const protocol = new CommandProtocol(tracker, pipeline.spec.stages, 'x', {
      onArtifact: (path, title) => published.push([path, title]),
    });
    protocol.stdout('::artifact a.txt');
    protocol.stdout('::artifact b.txt Bee');
    expect(published).toEqual([
      ['a.txt', undefined],
      ['b.txt', 'Bee'],
    ]);
    expect(events).toEqual([]);

    const { protocol: without, shown } = session();
    without.stdout('::artifact a.txt');
    expect(shown()).toEqual(['warn:`::artifact` is not available here; line ignored: ::artifact a.txt']);
  });
});
