package dev.lumen.review;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface FlagRepository extends JpaRepository<Flag, Long> {

	List<Flag> findBySaeIdAndFeatureIndexOrderById(long saeId, int featureIndex);
}
