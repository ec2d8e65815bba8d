package dev.lumen.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class DjlOfflineTest {

	@Test
	void pytorchEngineLoadsOfflineAndMultipliesMatrices() {
		assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
		assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
		try (NDManager manager = NDManager.newBaseManager()) {
			NDArray a = manager.create(new float[] { 1, 2, 3, 4, 5, 6 }, new ai.djl.ndarray.types.Shape(2, 3));
			NDArray b = manager.create(new float[] { 7, 8, 9, 10, 11, 12 }, new ai.djl.ndarray.types.Shape(3, 2));
			float[] c = a.matMul(b).toFloatArray();
			// [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] computed by hand
			assertThat(c).containsExactly(58f, 64f, 139f, 154f);
		}
	}
}
