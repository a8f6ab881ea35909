package dev.lb.runtime.notify;

/**
 * What one notifier has done so far.
 *
 * @param name the notifier's name (its plugin type, numbered when several share one)
 * @param delivered events delivered
 * @param failed events given up on after every attempt failed
 * @param dropped events dropped because the queue was full or the dispatcher was closing
 * @param queued events waiting now
 */
public record NotifierStats(String name, long delivered, long failed, long dropped, int queued) {
}
