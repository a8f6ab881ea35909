/**
 * Reload without loss: a new configuration is validated first (a bad one is refused with its located problems and the
 * running one keeps serving), then applied as a diff ({@link dev.lb.runtime.reload.ConfigDiff}): unchanged listeners
 * keep their sockets and connections, changed pools swap their members and picker, removed backends and listeners
 * drain. Reloads come from a file watch, SIGHUP or the admin API ({@link dev.lb.runtime.reload.ReloadService}).
 */
package dev.lb.runtime.reload;
