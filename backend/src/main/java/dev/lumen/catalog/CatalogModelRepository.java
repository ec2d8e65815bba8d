package dev.lumen.catalog;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CatalogModelRepository extends JpaRepository<CatalogModel, Long> {

	Optional<CatalogModel> findByName(String name);

	List<CatalogModel> findAllByOrderByName();
}
