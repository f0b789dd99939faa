package io.github.multiprocessing4j.internal.hub;

import java.io.Serializable;

/** One call to a hosted object, as it travels in a TASK frame; the answer comes back in the OUTCOME frame. */
record HubCall(long objectId, String method, long threadId, Object[] args) implements Serializable {}
