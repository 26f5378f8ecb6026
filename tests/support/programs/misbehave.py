"""A program that misbehaves on purpose, one way per mode, for the command pipeline tests."""
import json
import os
import signal
import subprocess
import sys
import time


def say(line: str) -> None:
    print(line, flush=True)


def steady() -> None:
    # The well-behaved neighbour: two stages, 20 progress lines, about 2 s.
    for stage in ('one', 'two'):
        say(f'::stage {stage} Starting {stage}')
        for i in range(1, 11):
            time.sleep(0.1)
            say('::progress ' + json.dumps({'stageProgress': i / 10, 'message': f'{stage} {i}/10'}))


def main() -> None:
    mode = sys.argv[1]
    if mode == 'steady':
        steady()
    elif mode == 'exit3':
        say('::stage one')
        print('about to fail', file=sys.stderr, flush=True)
        print('boom: the corpus file is missing', file=sys.stderr, flush=True)
        sys.exit(3)
    elif mode == 'signal':
        say('::stage one')
        os.kill(os.getpid(), signal.SIGKILL)
    elif mode == 'hugeline':
        say('::stage one')
        sys.stdout.write('x' * (10 * 1024 * 1024) + '\n')
        say('::stage two')
        say('after the huge line')
    elif mode == 'garbage':
        say('::stage one')
        sys.stdout.buffer.write(b'caf\xe9 \xff\xfe bytes\n')
        sys.stdout.flush()
        say('::progress {"stageProgress": 0.5')
        say('::progress {"stageProgress": 2}')
        say('::stage nope')
        say('::bogus hello')
        say('::log loud hello')
        say('::stage two')
        say('::progress {"stageProgress": 0.5, "message": "half way"}')
    elif mode == 'ignore-term':
        # A program and its child that both ignore SIGTERM: only SIGKILL stops them.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        child = subprocess.Popen([sys.executable, '-c',
                                  'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(600)'])
        say('::stage one')
        say(f'::log info pids {os.getpid()} {child.pid}')
        time.sleep(600)
    elif mode == 'seed-prints':
        # The seed's orchestrator, unchanged: `[stage] message` on standard output, nothing else.
        for line in ('[one] Loading definitions...', '[one] Loaded 5 pillar definitions', '[other] not a stage',
                     '[two] Running Judge to validate claims...', '[two] Claims validated'):
            say(line)
            time.sleep(0.05)
    elif mode == 'flood':
        count = int(sys.argv[2])
        say('::stage one')
        out = sys.stdout
        for i in range(1, count + 1):
            out.write('::progress {"stageProgress":%.6f,"metadata":{"t":%d}}\n' % (i / count, time.time_ns()))
        out.flush()
    else:
        sys.exit(f'unknown mode {mode}')


main()
