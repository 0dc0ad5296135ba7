package io.realtimegateway.support;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link ModelServerProfile} with the tool settings shortened: a browser tab has 2 s to answer a
 * tool call, and a reply may make two rounds of tool calls.
 */
public class ToolsProfile extends ModelServerProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
    overrides.put("gateway.caller.timeout", "2s");
    overrides.put("gateway.tools.max-rounds", "2");
    return overrides;
  }
}
