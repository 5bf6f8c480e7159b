import { describe, expect, it } from 'vitest';
import { changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, timeToRestoreBand } from './bands';

const HOUR = 3600;
const DAY = 86400;

describe('deploymentFrequencyBand', () => {
  it('is Elite from once a day on', () => {
    expect(deploymentFrequencyBand(5)).toBe('elite');
    expect(deploymentFrequencyBand(1)).toBe('elite');
    expect(deploymentFrequencyBand(29 / 30)).toBe('high');
  });
  it('is High from once a week (one deployment in a 7-day window) to below once a day', () => {
    expect(deploymentFrequencyBand(1 / 7)).toBe('high');
    expect(deploymentFrequencyBand(13 / 90)).toBe('high');
    expect(deploymentFrequencyBand(4 / 30)).toBe('medium');
  });
  it('is Medium from once a month to below once a week, Low below that and with none', () => {
    expect(deploymentFrequencyBand(1 / 30)).toBe('medium');
    expect(deploymentFrequencyBand(3 / 90)).toBe('medium');
    expect(deploymentFrequencyBand(2 / 90)).toBe('low');
    expect(deploymentFrequencyBand(0)).toBe('low');
  });
});

describe('leadTimeBand', () => {
  it('is Elite below a day, High below a week, Medium below a month, Low after', () => {
    expect(leadTimeBand(0)).toBe('elite');
    expect(leadTimeBand(DAY - 1)).toBe('elite');
    expect(leadTimeBand(DAY)).toBe('high');
    expect(leadTimeBand(7 * DAY - 1)).toBe('high');
    expect(leadTimeBand(7 * DAY)).toBe('medium');
    expect(leadTimeBand(30 * DAY - 1)).toBe('medium');
    expect(leadTimeBand(30 * DAY)).toBe('low');
  });
});

describe('changeFailureRateBand', () => {
  it('is Elite up to 5%, High up to 10%, Medium up to 15%, Low above', () => {
    expect(changeFailureRateBand(0)).toBe('elite');
    expect(changeFailureRateBand(0.05)).toBe('elite');
    expect(changeFailureRateBand(0.0501)).toBe('high');
    expect(changeFailureRateBand(0.1)).toBe('high');
    expect(changeFailureRateBand(0.1001)).toBe('medium');
    expect(changeFailureRateBand(0.15)).toBe('medium');
    expect(changeFailureRateBand(0.1501)).toBe('low');
    expect(changeFailureRateBand(1)).toBe('low');
  });
  it('counts 3 failures in 20 deployments as 15% (Medium) despite floating point', () => {
    expect(changeFailureRateBand(3 / 20)).toBe('medium');
    expect(changeFailureRateBand(1 / 20)).toBe('elite');
  });
});

describe('timeToRestoreBand', () => {
  it('is Elite below an hour, High below a day, Medium below a week, Low after', () => {
    expect(timeToRestoreBand(HOUR - 1)).toBe('elite');
    expect(timeToRestoreBand(HOUR)).toBe('high');
    expect(timeToRestoreBand(DAY - 1)).toBe('high');
    expect(timeToRestoreBand(DAY)).toBe('medium');
    expect(timeToRestoreBand(7 * DAY - 1)).toBe('medium');
    expect(timeToRestoreBand(7 * DAY)).toBe('low');
  });
});
