/**
 * Loaded into a profiled process with `node --import` by `bench:broker:profile` when
 * PROFILE_KIND=allocations or survivors: V8's sampling heap profiler for the life of the
 * process, counting every sampled allocation, also those already collected (a proxied call's
 * garbage is what the profile is for), or with ALLOCATION_PROFILE_SURVIVORS set only those no
 * scavenge collected; written to ALLOCATION_PROFILE_FILE when the process exits. Plain
 * JavaScript: the broker runs its bundle with plain `node`, without tsx.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.ALLOCATION_PROFILE_FILE;
if (!file) throw new Error('ALLOCATION_PROFILE_FILE is not set');
const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', {
  // Bytes between samples on average: V8's default is 32 KiB, about one sample per call.
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  // ALLOCATION_PROFILE_SURVIVORS: only what outlived a scavenge, which is what each one copies
  // and what fills the old generation (bench/README.md, point 15).
  includeObjectsCollectedByMinorGC: !process.env.ALLOCATION_PROFILE_SURVIVORS,
});
// An in-process session answers synchronously: the profile is written before the process ends.
process.once('exit', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) throw error;
    writeFileSync(file, JSON.stringify(result.profile));
  });
});
