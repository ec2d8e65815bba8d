package dev.lumen.review;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface FeatureListRepository extends JpaRepository<FeatureList, Long> {

	List<FeatureList> findAllByOrderByUpdatedAtDesc();
}
