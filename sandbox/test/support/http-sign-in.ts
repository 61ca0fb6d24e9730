// The browserless sign-in lives in src (it is exported for other parts' tests); tests use it from here.
export * from '../../src/headless-sign-in.js';
