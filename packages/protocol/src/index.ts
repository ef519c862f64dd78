export * from './errors.js';
export * from './room.js';
export * from './message.js';
export * from './events.js';
export * from './limits.js';
export * from './destinations.js';
export * from './validate.js';
export * from './system-text.js';
