import { ForbiddenContent } from "@/components/pages/refusals";

export default function Forbidden() {
  return (
    <main id="main" className="px-4">
      <ForbiddenContent />
    </main>
  );
}
