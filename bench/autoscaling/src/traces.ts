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

function build(
  name: string,
  seconds: number,
  seed: number,
  shape: Shape,
  spike = false,
): Trace {
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

const ramp = (t: number) =>
  t < 5400 ? 100 + (1900 * t) / 5400 : 2000 - (1900 * (t - 5400)) / 1800;
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
    const base =
      0.6 * diurnal(t) + (t % 2400 >= 1500 && t % 2400 < 1680 ? 1500 : 0);
    return base + burst(t, random) - 400;
  };
}

const noisySteady: Shape = (_t, random) => 500 * (1 + 0.1 * random.gaussian());

/** Ramps from a low to a high level over a period drawn per seed (4–15 minutes), then drops back, again and again. */
function sawtooth(params: Random): Shape {
  const period = 240 + Math.floor(params.next() * 660);
  const low = 150 + params.next() * 150;
  const high = 1000 + params.next() * 800;
  return t => low + ((high - low) * (t % period)) / period;
}

/** A mean-reverting random walk of the log rate: wanders between about 100 and 2,500 req/s. */
function randomWalk(): Shape {
  let x = Math.log(600);
  return (_t, random) => {
    x += 0.02 * random.gaussian() + 0.0005 * (Math.log(600) - x);
    x = Math.min(Math.log(2500), Math.max(Math.log(100), x));
    return Math.exp(x);
  };
}

/** A day compressed into an hour with a phase drawn per seed, times ±15% noise correlated over about 30 s. */
function diurnalNoise(params: Random): Shape {
  const phase = params.next() * 2 * Math.PI;
  let noise = 0;
  return (t, random) => {
    noise =
      0.967 * noise + 0.15 * Math.sqrt(1 - 0.967 ** 2) * random.gaussian();
    return (
      (800 - 700 * Math.cos((2 * Math.PI * t) / hour + phase)) * (1 + noise)
    );
  };
}

/** On/off load: a high and a low level, each held for 1–15 minutes drawn at random. */
function onOff(params: Random): Shape {
  const high = 900 + params.next() * 900;
  const low = 80 + params.next() * 150;
  let until = 0;
  let on = false;
  return (t, random) => {
    if (t >= until) {
      on = !on;
      until = t + 60 + Math.floor(random.next() * 840);
    }
    return on ? high : low;
  };
}

/** A Pareto draw with scale `xm` and shape `alpha`. */
const pareto = (random: Random, xm: number, alpha: number) =>
  xm / Math.pow(1 - random.next(), 1 / alpha);

/** Heavy-tailed bursts on a steady base: Pareto durations (from 10 s, α 1.5) and heights (from 1.5×, α 2). */
function paretoBursts(): Shape {
  let until = -1;
  let factor = 1;
  return (t, random) => {
    if (t >= until && random.next() < 1 / 300) {
      until = t + Math.min(900, Math.round(pareto(random, 10, 1.5)));
      factor = Math.min(6, pareto(random, 1.5, 2));
    }
    return t < until ? 350 * factor : 350;
  };
}

/** A level that drifts slowly: a long sine (period 3–6 hours, phase per seed) plus a linear drift, with 5% noise. */
function slowDrift(params: Random): Shape {
  const period = (3 + 3 * params.next()) * hour;
  const phase = params.next() * 2 * Math.PI;
  const drift = (params.next() - 0.5) * 0.08;
  return (t, random) =>
    (800 + 450 * Math.sin((2 * Math.PI * t) / period + phase) + drift * t) *
    (1 + 0.05 * random.gaussian());
}

/** The name of the noisy steady-load trace the oscillation goal is measured on. */
export const noisySteadyTraceName = 'noisy-steady';

/**
 * The synthetic trace families, every one seeded (shapes, levels and periods of the newer families are drawn per
 * seed too). Two hours each, except the one-hour flash spike.
 */
export function syntheticTraces(seed: number): Trace[] {
  const params = (k: number) => new Random(seed * 1009 + k);
  return [
    build('steps', 2 * hour, seed + 1, steps, true),
    build('ramp', 2 * hour, seed + 2, ramp),
    build('diurnal', 2 * hour, seed + 3, diurnal),
    build('flash-spike', hour, seed + 4, flashSpike, true),
    build('square-wave', 2 * hour, seed + 5, squareWave, true),
    build('bursty', 2 * hour, seed + 6, bursty(), true),
    build('mix', 2 * hour, seed + 7, mix(), true),
    build(noisySteadyTraceName, 2 * hour, seed + 8, noisySteady),
    build('sawtooth', 2 * hour, seed + 9, sawtooth(params(9))),
    build('random-walk', 2 * hour, seed + 10, randomWalk()),
    build('diurnal-noise', 2 * hour, seed + 11, diurnalNoise(params(11))),
    build('on-off', 2 * hour, seed + 12, onOff(params(12)), true),
    build('pareto-bursts', 2 * hour, seed + 13, paretoBursts(), true),
    build('slow-drift', 2 * hour, seed + 14, slowDrift(params(14))),
  ];
}
