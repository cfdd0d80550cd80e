/** Every test file: fail a test during which the node caused a contract rejection (test/support/strict.ts). */
import { installStrictCheck } from '../support/strict';

installStrictCheck();
