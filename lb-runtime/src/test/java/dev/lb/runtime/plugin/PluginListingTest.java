package dev.lb.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.spi.PluginKind;
import dev.lb.spi.PluginProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginListingTest {

    @Test
    void printsAlignedColumnsSortedByKindThenName() {
        PluginCatalog catalog = PluginCatalog.of(List.of(
                plugin(PluginKind.NOTIFIER, "log", "built-in (lb-plugin-notifiers-0.1.0.jar)", "logs events"),
                plugin(PluginKind.ALGORITHM, "round-robin", "built-in (lb-plugin-algorithms-0.1.0.jar)", "in turn"),
                plugin(PluginKind.HEALTH_PROBE, "tcp", "built-in (lb-plugin-probes-0.1.0.jar)", "connects"),
                plugin(PluginKind.ALGORITHM, "first-eligible", "plugins.d/first.jar", "first\nof all ")));

        assertEquals("""
                KIND          NAME            SOURCE                                     DESCRIPTION
                algorithm     first-eligible  plugins.d/first.jar                        first of all
                algorithm     round-robin     built-in (lb-plugin-algorithms-0.1.0.jar)  in turn
                health probe  tcp             built-in (lb-plugin-probes-0.1.0.jar)      connects
                notifier      log             built-in (lb-plugin-notifiers-0.1.0.jar)   logs events
                """, PluginListing.format(catalog));
    }

    @Test
    void anEmptyCatalogPrintsTheHeader() {
        assertEquals("KIND  NAME  SOURCE  DESCRIPTION\n", PluginListing.format(PluginCatalog.of(List.of())));
    }

    private static LoadedPlugin plugin(PluginKind kind, String name, String source, String description) {
        return new LoadedPlugin(kind, new PluginProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }
        }, source);
    }
}
