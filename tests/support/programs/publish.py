"""Publishes artifacts one way per mode, for tests/integration/artifacts-publish.test.ts."""
import json
import os
import sys

OUT = os.environ['HEADWAY_OUTPUT_DIR']


def say(line: str) -> None:
    print(line, flush=True)


def write(name: str, data: bytes) -> str:
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as file:
        file.write(data)
    return path


def good() -> None:
    # One file published by its line, two left behind, and a link out that is never followed.
    say('::stage make Making files')
    chart = write('charts/a.svg', b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    say(f'::artifact {chart} Chart A')
    write('notes.txt', b'left behind\n')
    write('sub/data.csv', b'a,b\n1,2\n')
    os.symlink('/etc/passwd', os.path.join(OUT, 'leak'))
    say('::stage done')


def bad() -> None:
    say('::stage make Misbehaving')
    say('::artifact ../../etc/passwd')
    say('::artifact /etc/passwd Passwords')
    say('::artifact ' + json.dumps(write('bell\x07.txt', b'ding')))
    say(f"::artifact {write('big.bin', b'x' * 1001)}")
    for i in range(1, 5):
        say(f"::artifact {write(f'ok{i}.txt', str(i).encode())}")
    write('extra.txt', b'never published')
    say('::stage done')


def retry() -> None:
    attempt = os.environ['HEADWAY_ATTEMPT']
    say('::stage make')
    say(f"::artifact {write('attempt.txt', attempt.encode())} Attempt {attempt}")
    if attempt == '1':
        sys.exit(3)
    say('::stage done')


{'good': good, 'bad': bad, 'retry': retry}[sys.argv[1]]()
