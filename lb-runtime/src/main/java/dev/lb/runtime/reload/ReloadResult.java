package dev.lb.runtime.reload;

import java.util.List;

/**
 * What one reload did.
 *
 * @param trigger what asked for it: {@code admin}, {@code file-watch}, {@code SIGHUP} or a caller's word
 * @param applied whether the new configuration is now in force
 * @param problems when refused: each problem located {@code file:line:column: path: message}
 * @param error when refused for another reason (a listener could not bind): why; else null
 * @param diff when applied: what changed; else null
 */
public record ReloadResult(String trigger, boolean applied, List<String> problems, String error, ConfigDiff diff) {

    public ReloadResult {
        problems = List.copyOf(problems);
    }
}
