package dev.lumen.extraction;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/** One COPY ... FROM STDIN, fed row by row and flushed in pieces so large loads never sit in one string. */
final class CopyStream implements AutoCloseable {

	private static final int FLUSH_CHARS = 4 << 20;

	private final CopyIn copy;

	private final CopyText rows = new CopyText();

	private long rowCount;

	CopyStream(CopyManager manager, String sql) throws SQLException {
		this.copy = manager.copyIn(sql);
	}

	/** @return the row builder; call {@link #endRow()} after the fields */
	CopyText row() {
		return this.rows;
	}

	void endRow() throws SQLException {
		this.rows.endRow();
		this.rowCount++;
		if (this.rows.length() > FLUSH_CHARS) {
			flush();
		}
	}

	private void flush() throws SQLException {
		byte[] bytes = this.rows.toString().getBytes(StandardCharsets.UTF_8);
		this.copy.writeToCopy(bytes, 0, bytes.length);
		this.rows.clear();
	}

	long rowCount() {
		return this.rowCount;
	}

	@Override
	public void close() throws SQLException {
		if (!this.copy.isActive()) {
			return;
		}
		flush();
		this.copy.endCopy();
	}
}
