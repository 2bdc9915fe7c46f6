package org.fedai.nostr.relay;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.fedai.nostr.Filter;

/**
 * A NIP-01 filter as one SQL query over {@link SqliteEventStore}'s tables. Values are only ever bound as parameters;
 * the SQL text depends on nothing but how many values each condition has.
 */
record SqlFilter(String sql, List<Object> params) {

    static SqlFilter of(Filter filter, long nowSeconds, int limit) {
        StringBuilder sql = new StringBuilder("SELECT e.raw FROM events e WHERE (e.expiration IS NULL OR e.expiration > ?)");
        List<Object> params = new ArrayList<>();
        params.add(nowSeconds);
        in(sql, params, "e.id", filter.ids());
        in(sql, params, "e.pubkey", filter.authors());
        in(sql, params, "e.kind", filter.kinds());
        if (filter.since() != null) {
            sql.append(" AND e.created_at >= ?");
            params.add(filter.since());
        }
        if (filter.until() != null) {
            sql.append(" AND e.created_at <= ?");
            params.add(filter.until());
        }
        for (Map.Entry<String, ? extends Collection<String>> tag : filter.tags().entrySet()) {
            if (tag.getValue().isEmpty()) {
                continue;
            }
            sql.append(" AND EXISTS (SELECT 1 FROM tags t WHERE t.event_id = e.id AND t.name = ?");
            params.add(tag.getKey());
            in(sql, params, "t.value", tag.getValue());
            sql.append(')');
        }
        sql.append(" ORDER BY e.created_at DESC, e.id ASC LIMIT ?");
        params.add(limit);
        return new SqlFilter(sql.toString(), List.copyOf(params));
    }

    private static void in(StringBuilder sql, List<Object> params, String column, Collection<?> values) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(" AND ").append(column).append(" IN (");
        boolean first = true;
        for (Object v : values) {
            sql.append(first ? "?" : ",?");
            params.add(v);
            first = false;
        }
        sql.append(')');
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            statement.setObject(i + 1, params.get(i));
        }
    }
}
