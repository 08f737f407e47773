import assert from 'node:assert/strict';
import { sendReleaseDelays } from '../src/domain/send-release.js';

describe('Company Communicator: when send jobs are released to the queue', function () {
  it('releases each job about when the rate reaches it, two seconds early, never late', function () {
    // 100 recipients a job at 97/s: job i is reached after i × 1.03 s
    assert.deepEqual(sendReleaseDelays([100, 100, 100, 100, 100, 100], 97), [0, 0, 0, 1, 2, 3]);
    // uneven jobs count their recipients, not their number
    assert.deepEqual(sendReleaseDelays([100, 10, 10, 100, 100], 50), [0, 0, 0, 0, 2]);
    const delays = sendReleaseDelays(Array.from({ length: 1000 }, () => 100), 49);
    assert.equal(delays.at(-1), Math.floor((999 * 100) / 49 - 2));
    assert.ok(delays.every((d, i) => d <= (i * 100) / 49), 'never later than the rate reaches it');
  });

  it('releases everything at once when the rate is unlimited or unknown', function () {
    assert.deepEqual(sendReleaseDelays([100, 100, 100], 1_000_000), [0, 0, 0]);
    assert.deepEqual(sendReleaseDelays([100, 100], Infinity), [0, 0]);
    assert.deepEqual(sendReleaseDelays([100, 100], 0), [0, 0]);
  });
});
