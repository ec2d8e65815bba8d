package dev.lumen.map;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Reads an SAE's decoder vectors into one row-major float matrix with a binary COPY: pgvector sends a vector as
 * int16 dimension, int16 unused, then big-endian float4 values, which is far cheaper to read than its text form.
 */
@Component
class DecoderMatrixReader {

	/** @param featureIndices {@code [n]} the feature index of every row; @param rows {@code [n * d]} */
	record DecoderMatrix(int d, int[] featureIndices, float[] rows) {

		int n() {
			return this.featureIndices.length;
		}
	}

	private final DataSource dataSource;

	DecoderMatrixReader(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	DecoderMatrix read(long saeId, int d, int count) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			String sql = "COPY (SELECT feature_index, decoder FROM feature_decoder WHERE sae_id = " + saeId
					+ " ORDER BY feature_index) TO STDOUT (FORMAT binary)";
			try (var in = new DataInputStream(new BufferedInputStream(
					new PGCopyInputStream(connection.unwrap(PGConnection.class), sql), 1 << 16))) {
				return parse(in, d, count);
			}
		}
		catch (SQLException | IOException ex) {
			throw new DataAccessResourceFailureException("reading the decoder vectors of SAE id " + saeId + " failed: "
					+ ex.getMessage(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/** Parses COPY's binary stream: header, tuples of two fields, trailer -1. */
	private static DecoderMatrix parse(DataInputStream in, int d, int expected) throws IOException {
		in.skipNBytes(11 + 4); // signature, flags
		in.skipNBytes(in.readInt()); // header extension
		int[] indices = new int[expected];
		float[] rows = new float[expected * d];
		int n = 0;
		for (short fields = in.readShort(); fields != -1; fields = in.readShort()) {
			if (n == expected) {
				throw new IOException("more than the " + expected + " features counted");
			}
			in.readInt(); // length 4
			indices[n] = in.readInt();
			in.readInt(); // vector length in bytes
			int dim = in.readShort();
			in.readShort();
			if (dim != d) {
				throw new IOException("feature " + indices[n] + " has a decoder of " + dim + " values, d_in is " + d);
			}
			for (int c = 0; c < dim; c++) {
				rows[n * d + c] = in.readFloat();
			}
			n++;
		}
		if (n != expected) {
			throw new IOException("read " + n + " features, counted " + expected);
		}
		return new DecoderMatrix(d, indices, rows);
	}
}
