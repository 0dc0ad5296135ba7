/**
 * What every Redis implementation shares: key names, this replica's id, scripts run by hash, and
 * the predicate that keeps Redis-only jobs idle in memory mode. Imports nothing of the gateway.
 */
package io.realtimegateway.redis;
