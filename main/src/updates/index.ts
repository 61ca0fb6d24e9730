export {
  createUpdateService,
  disabledUpdateState,
  UPDATE_CHECK_INTERVAL_MS,
  type UpdateService,
  type UpdateServiceOptions,
} from './update-service.js';
export type { GenericFeedOptions, UpdaterPort } from './updater-port.js';
export { electronUpdaterPort, loadElectronUpdater } from './electron-updater-port.js';
export {
  startableUpdateControl,
  type StartableUpdateControl,
  type UpdateControl,
} from './update-control.js';
