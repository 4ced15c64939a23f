// Which icon file shows a tray state on which platform. Pure: no Electron, no file system.
//
// The files are drawn by build/make-icons.mjs into build/icons/tray/ and copied by the build to
// dist/icons/tray/, which the main process reaches as new URL('../../icons/tray/', import.meta.url)
// from dist/electron/main/. Pass the name to nativeImage.createFromPath with that directory:
//
// - macOS: a template image (black and alpha; the menu bar recolours it for light and dark).
//   Electron treats a file whose name ends in "Template" as one, and picks up the
//   "…Template@2x.png" next to it for Retina displays by itself.
// - Windows: an .ico holding 16 to 48 px, so each display scaling gets a drawn size.
// - Linux and the rest: a 16 px PNG, with the 32 px "@2x" file next to it.
import type { TrayIconState } from './tray-icon-state.js';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['idle', 'ok', 'busy', 'problem'];

/** The tray icon's file name for a state, relative to the tray icons directory. */
export function trayIconFile(state: TrayIconState, platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return `tray-${state}Template.png`;
    case 'win32':
      return `tray-${state}.ico`;
    default:
      return `tray-${state}.png`;
  }
}
