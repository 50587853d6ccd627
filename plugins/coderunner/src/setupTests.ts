import '@testing-library/jest-dom';

// User-event flows through MUI dialogs take seconds on a busy 2-core machine.
jest.setTimeout(30_000);
