export * from './emoji.ts';
export * from './entities.ts';
export * from './errors.ts';
export * from './frames.ts';
export * from './http.ts';
export * from './limits.ts';
export * from './names.ts';
export * from './text.ts';
