package dev.lb.runtime.config;

/**
 * A place in a configuration file, 1-based, printed the way compilers print it: {@code lb.yaml:12:5}.
 *
 * @param file the file's name as the user gave it
 * @param line the line, from 1
 * @param column the column, from 1
 */
public record SourceLocation(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
