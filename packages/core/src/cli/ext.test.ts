import assert from 'node:assert/strict';
import { UsageError } from '../errors.js';
import { detectDebuggerPort, parsePortRanges } from './ext.js';

describe('ext helpers', () => {
  it('reads MIRRORD_IGNORE_DEBUGGER_PORTS ranges', () => {
    assert.deepEqual(parsePortRanges('45000-65535'), [[45000, 65535]]);
    assert.deepEqual(parsePortRanges('5678, 9000-9010'), [5678, [9000, 9010]]);
    assert.deepEqual(parsePortRanges(undefined), []);
    assert.throws(() => parsePortRanges('70000'), UsageError);
    assert.throws(() => parsePortRanges('9-1'), UsageError);
  });

  it('finds debugpy, pydevd and JDWP ports in argv', () => {
    assert.equal(detectDebuggerPort('debugpy', ['python', '-m', 'debugpy', '--listen', '127.0.0.1:5678', 'app.py']), 5678);
    assert.equal(detectDebuggerPort('debugpy', ['python', '/x/debugpy/launcher', '--port', '41234', '--', 'app.py']), 41234);
    assert.equal(detectDebuggerPort('debugpy', ['python', '/x/debugpy', '--connect', '127.0.0.1:39999', '--configure-qt', 'none']), 39999);
    assert.equal(detectDebuggerPort('pydevd', ['python', 'pydevd.py', '--port', '5005', '--file', 'a.py']), 5005);
    assert.equal(detectDebuggerPort('javaagent', ['java', '-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005', 'Main']), 5005);
    assert.equal(detectDebuggerPort('javaagent', ['java', '-agentlib:jdwp=transport=dt_socket,address=*:8000,server=y', 'Main']), 8000);
    assert.equal(detectDebuggerPort(undefined, ['python', '--port', '1']), undefined);
    assert.equal(detectDebuggerPort('debugpy', ['python', 'app.py']), undefined);
  });
});
