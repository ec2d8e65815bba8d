package dev.lumen.feature;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads PostgreSQL arrays into primitive Java arrays. */
final class SqlArrays {

	private SqlArrays() {
	}

	static int[] ints(ResultSet rs, String column) throws SQLException {
		Object[] values = values(rs.getArray(column));
		int[] out = new int[values.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = ((Number) values[i]).intValue();
		}
		return out;
	}

	static float[] floats(ResultSet rs, String column) throws SQLException {
		Object[] values = values(rs.getArray(column));
		float[] out = new float[values.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = values[i] == null ? Float.NaN : ((Number) values[i]).floatValue();
		}
		return out;
	}

	static long[] longs(ResultSet rs, String column) throws SQLException {
		Object[] values = values(rs.getArray(column));
		long[] out = new long[values.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = ((Number) values[i]).longValue();
		}
		return out;
	}

	private static Object[] values(Array array) throws SQLException {
		if (array == null) {
			return new Object[0];
		}
		try {
			return (Object[]) array.getArray();
		}
		finally {
			array.free();
		}
	}
}
