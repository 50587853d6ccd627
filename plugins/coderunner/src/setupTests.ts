import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// User-event flows through MUI dialogs take seconds on a quiet 2-core machine; with the CPU
// saturated (scripts/test-under-load.sh) the policy editor's test took over 30 s.
jest.setTimeout(120_000);
// findBy* and waitFor wait for the page to change, not for a time: give them up to 20 s (the
// default, 1 s, is too short for a re-render when the CPU is saturated).
configure({ asyncUtilTimeout: 20_000 });
