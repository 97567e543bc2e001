// The clock is injected everywhere time matters, so tests run on a fixed instant.
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
