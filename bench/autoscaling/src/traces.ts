import { Random } from './random';

/** A load trace: requests arriving in each second. */
export interface Trace {
  name: string;
  /** Where the trace came from: a synthetic shape or a CSV file. */
  source: 'synthetic' | 'csv';
  /** Traces with sudden jumps in load; the spike goal is measured on these. */
  spike: boolean;
  requestsPerSecond: Float64Array;
}

type Shape = (second: number, random: Random) => number;

const hour = 3600;

function build(name: string, seconds: number, seed: number, shape: Shape, spike = false): Trace {
  const random = new Random(seed);
  const requestsPerSecond = new Float64Array(seconds);
  for (let t = 0; t < seconds; t++) {
    requestsPerSecond[t] = random.poisson(Math.max(0, shape(t, random)));
  }
  return { name, source: 'synthetic', spike, requestsPerSecond };
}

function steps(t: number): number {
  const levels = [200, 600, 1400, 700, 300, 1000];
  return levels[Math.floor(t / 1200) % levels.length];
}

const ramp = (t: number) => (t < 5400 ? 100 + (1900 * t) / 5400 : 2000 - (1900 * (t - 5400)) / 1800);
const diurnal = (t: number) => 800 - 700 * Math.cos((2 * Math.PI * t) / hour);
const flashSpike = (t: number) => (t >= 1800 && t < 2100 ? 3000 : 300);
const squareWave = (t: number) => (Math.floor(t / 600) % 2 === 0 ? 1200 : 60);

function bursty(): Shape {
  let burstUntil = -1;
  let factor = 1;
  return (t, random) => {
    if (t >= burstUntil && random.next() < 1 / 240) {
      burstUntil = t + 10 + Math.floor(random.next() * 50);
      factor = 2 + random.next() * 2;
    }
    return t < burstUntil ? 400 * factor : 400;
  };
}

function mix(): Shape {
  const burst = bursty();
  return (t, random) => {
    const base = 0.6 * diurnal(t) + (t % 2400 >= 1500 && t % 2400 < 1680 ? 1500 : 0);
    return base + burst(t, random) - 400;
  };
}

const noisySteady: Shape = (_t, random) => 500 * (1 + 0.1 * random.gaussian());

/** The name of the noisy steady-load trace the oscillation goal is measured on. */
export const noisySteadyTraceName = 'noisy-steady';

/**
 * The synthetic trace set, every one seeded. Two hours each, except the one-hour flash spike.
 */
export function syntheticTraces(seed: number): Trace[] {
  return [
    build('steps', 2 * hour, seed + 1, steps, true),
    build('ramp', 2 * hour, seed + 2, ramp),
    build('diurnal', 2 * hour, seed + 3, diurnal),
    build('flash-spike', hour, seed + 4, flashSpike, true),
    build('square-wave', 2 * hour, seed + 5, squareWave, true),
    build('bursty', 2 * hour, seed + 6, bursty(), true),
    build('mix', 2 * hour, seed + 7, mix(), true),
    build(noisySteadyTraceName, 2 * hour, seed + 8, noisySteady),
  ];
}
