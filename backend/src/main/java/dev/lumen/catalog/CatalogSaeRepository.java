package dev.lumen.catalog;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface CatalogSaeRepository extends JpaRepository<CatalogSae, Long> {

	Optional<CatalogSae> findByModelNameAndName(String modelName, String name);

	@Query("select s from CatalogSae s where s.model.id = :modelId order by s.hookLayer, s.dSae, s.name")
	List<CatalogSae> findByModelInDisplayOrder(Long modelId);

	/** @return the other SAEs on the same model and hook, e.g. the same residual stream at other widths */
	List<CatalogSae> findByModelIdAndHookNameAndIdNot(Long modelId, String hookName, Long id);
}
