package dev.lumen.autointerp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A session-level PostgreSQL advisory lock on one SAE, held on its own connection for a whole batch. It is
 * released on close (the connection goes back to the pool, so the lock must be released explicitly) or when the
 * process dies.
 */
final class SaeBatchLock implements AutoCloseable {

	/** Advisory-lock namespace of autointerp jobs ("LUMA"); extraction uses "LUMX". */
	private static final int LOCK_CLASS = 0x4C554D41;

	private final Connection connection;

	private final long saeId;

	private SaeBatchLock(Connection connection, long saeId) {
		this.connection = connection;
		this.saeId = saeId;
	}

	static SaeBatchLock acquire(DataSource dataSource, long saeId, String saeName) {
		try {
			Connection c = dataSource.getConnection();
			try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
				st.setInt(1, LOCK_CLASS);
				st.setInt(2, (int) saeId);
				try (ResultSet rs = st.executeQuery()) {
					rs.next();
					if (!rs.getBoolean(1)) {
						c.close();
						throw new IllegalStateException("another autointerp run of SAE '" + saeName
								+ "' is in progress; wait for it to finish (its job row shows progress)");
					}
				}
			}
			return new SaeBatchLock(c, saeId);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot lock SAE " + saeName + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		try (Connection c = this.connection; PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
			st.setInt(1, LOCK_CLASS);
			st.setInt(2, (int) this.saeId);
			st.execute();
		}
		catch (SQLException ex) {
			// the lock dies with the session anyway; nothing stored depends on it
		}
	}
}
