import { didYouMean, editDistance } from './didYouMean';

describe('editDistance', () => {
  it.each([
    ['command', 'command', 0],
    ['comand', 'command', 1],
    ['commnad', 'command', 1],
    ['cmomand', 'command', 1],
    ['', 'port', 4],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('didYouMean', () => {
  const fields = ['command', 'port', 'health'];

  it('suggests the closest field within two edits', () => {
    expect(didYouMean('comand', fields)).toBe('command');
    expect(didYouMean('prot', fields)).toBe('port');
    expect(didYouMean('helth', fields)).toBe('health');
  });

  it('ignores case', () => {
    expect(didYouMean('PORT', fields)).toBe('port');
  });

  it('suggests by prefix when the distance is larger', () => {
    expect(didYouMean('healthcheck', fields)).toBe('health');
    expect(didYouMean('comm', fields)).toBe('command');
  });

  it('prefers the smallest distance', () => {
    expect(didYouMean('min', ['max', 'min'])).toBe('min');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('replicas', fields)).toBeUndefined();
    expect(didYouMean('xy', fields)).toBeUndefined();
  });
});
